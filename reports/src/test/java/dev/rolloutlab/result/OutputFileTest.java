package dev.rolloutlab.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool never turns what a user pointed it at into something else: links stay links, pipes stay pipes. */
class OutputFileTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileIsReplacedWhole() throws Exception {
        Path file = Files.writeString(dir.resolve("summary.md"), "old");

        OutputFile.writeAtomically(file, "new");

        assertThat(file).hasContent("new");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left beside it
        }
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsWritten() throws Exception {
        Path target = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("diff.md"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("diff.md"), target);

        OutputFile.writeAtomically(link, "new");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).hasContent("new");
    }

    @Test
    void aPipeIsWrittenThroughNotReplaced() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo, StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        OutputFile.writeAtomically(fifo, "through");

        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("through");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aDirectoryOrADanglingLinkIsRefusedNamingTheFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("result.json"));
        Path dangling = Files.createSymbolicLink(dir.resolve("junit.xml"), dir.resolve("missing/junit.xml"));

        assertThatThrownBy(() -> OutputFile.writeAtomically(folder, "x")).isInstanceOf(UncheckedIOException.class)
            .hasMessage("cannot write " + folder + ": it is a directory");
        assertThatThrownBy(() -> OutputFile.writeAtomically(dangling, "x")).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("cannot write " + dangling + ": it is a symbolic link to ")
            .hasMessageEndingWith("which does not exist");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
    }
}
