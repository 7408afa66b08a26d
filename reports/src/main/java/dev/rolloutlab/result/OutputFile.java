package dev.rolloutlab.result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * How every file of the tool is written: a regular file whole or not at all, so a reader never sees half a file; a
 * symbolic link is followed (the link stays, its target is written); an existing device or pipe (e.g.
 * {@code /dev/null}, {@code /dev/stdout}) is written through, never replaced by a regular file.
 */
public final class OutputFile {
    private OutputFile() {
    }

    /**
     * Writes a temporary file beside the target (the link's target, for a link) and moves it into place. The
     * temporary file is created as an ordinary file (umask permissions, unlike {@link Files#createTempFile}'s
     * owner-only), so CI artifacts and web servers can read the result.
     *
     * @return {@code file}
     * @throws UncheckedIOException naming the file: a directory, a dangling link, or an I/O failure
     */
    public static Path writeAtomically(Path file, String content) {
        try {
            Path target = file;
            if (Files.isSymbolicLink(file)) {
                if (!Files.exists(file)) {
                    throw new IOException("it is a symbolic link to " + Files.readSymbolicLink(file)
                        + ", which does not exist");
                }
                target = file.toRealPath();
            }
            if (Files.isDirectory(target)) {
                throw new IOException("it is a directory");
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target)) {
                Files.write(target, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE);
                return file;
            }
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.writeString(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
