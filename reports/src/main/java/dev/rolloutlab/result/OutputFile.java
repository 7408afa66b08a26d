package dev.rolloutlab.result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** How every file of the tool is written: whole or not at all, so a reader never sees half a file. */
public final class OutputFile {
    private OutputFile() {
    }

    /**
     * Writes a temporary file beside the target and moves it into place. The temporary file is created as an
     * ordinary file (umask permissions, unlike {@link Files#createTempFile}'s owner-only), so CI artifacts and web
     * servers can read the result.
     *
     * @return {@code file}
     * @throws UncheckedIOException naming the file
     */
    public static Path writeAtomically(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.writeString(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
