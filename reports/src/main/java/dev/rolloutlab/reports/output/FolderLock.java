package dev.rolloutlab.reports.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per output folder: a run (or comparison) holds an operating-system lock on {@link #FILE} in its folder
 * while it runs, so a second run given the same folder is refused before it starts instead of silently replacing the
 * first one's files. The operating system releases the lock when the process ends, however it ends (SIGKILL
 * included), so a killed run never blocks the next; the file itself stays, naming its last holder, because deleting
 * it would let two runs lock two different files of the same name.
 */
public final class FolderLock implements AutoCloseable {
    public static final String FILE = ".rollout-lab.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or another run in this one) writes into the folder. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    /**
     * Creates {@code dir} if needed and locks it for this process.
     *
     * @throws Busy when another run holds it, naming that run's process and start
     * @throws UncheckedIOException when the folder or its lock file cannot be made
     */
    public static FolderLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException thisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new Busy(dir + " is being written by another rollout-lab run (" + holder + "); wait for it to "
                    + "finish or give this run another --out");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", started " + Instant.now()
                + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new FolderLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + dir + " for this run: " + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer read = ByteBuffer.allocate(200);
        channel.read(read, 0);
        String text = new String(read.array(), 0, read.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "it is starting" : text.replaceAll("\\p{Cntrl}", "?");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing with the reason that matters.
            }
        }
    }

    /** Lets the next run in. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(channel);
    }
}
