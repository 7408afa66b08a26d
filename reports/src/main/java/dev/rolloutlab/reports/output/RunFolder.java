package dev.rolloutlab.reports.output;

import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.ResultJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a run's files go, so that no run silently replaces another: by default a folder of its own named by its start
 * time under the scenario's folder, with {@code latest} pointing at the newest; a folder given explicitly is used as
 * it is, and a run it already holds is named before it is replaced.
 */
public final class RunFolder {
    /** The link beside the timestamped folders that points at the newest. */
    public static final String LATEST = "latest";
    /** UTC, no colons (not allowed in Windows file names), sorting in time order. */
    private static final DateTimeFormatter NAME =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RunFolder() {
    }

    /**
     * Creates {@code parent/20261129T051500Z} ({@code -2}, {@code -3} ... after it when two runs start in one
     * second).
     *
     * @throws UncheckedIOException naming the folder it could not create
     */
    public static Path timestamped(Path parent, Instant now) {
        String name = NAME.format(now);
        try {
            Files.createDirectories(parent);
            for (int n = 1; ; n++) {
                Path dir = parent.resolve(n == 1 ? name : name + "-" + n);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // Another run of this second: the next suffix.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * Points {@code latest} beside {@code folder} at it: a relative symbolic link, replaced in one step so a reader
     * never finds it missing.
     *
     * @return why it could not (a file system without links, or a {@code latest} that is not a link), to be said to
     *         the user; empty when it points at {@code folder}
     */
    public static Optional<String> linkLatest(Path folder) {
        Path parent = folder.toAbsolutePath().getParent();
        Path latest = parent.resolve(LATEST);
        if (Files.exists(latest, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest)) {
            return Optional.of(latest + " is not a link rollout-lab made, so it was left alone; this run is in "
                + folder);
        }
        Path tmp = parent.resolve("." + LATEST + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(tmp, folder.getFileName());
            Files.move(tmp, latest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Nothing was linked; the message below says where the run is.
            }
            return Optional.of("cannot point " + latest + " at this run (" + e.getMessage() + "); it is in " + folder);
        }
    }

    /**
     * The run a folder stands for: {@code dir} itself when it holds a run or a comparison, else its {@code latest}
     * when it has one (a scenario's folder of timestamped runs), else {@code dir}.
     */
    public static Path newestIn(Path dir) {
        Path latest = dir.resolve(LATEST);
        boolean own = Files.exists(dir.resolve(RunReports.RESULT_JSON)) || Files.exists(dir.resolve(RunReports.COMPARE_MD));
        return !own && Files.isSymbolicLink(latest) && Files.isDirectory(latest) ? latest : dir;
    }

    /**
     * Says that {@code dir} already holds a run (its result.json) or a comparison (its compare.md) whose files this
     * one will replace; empty when it holds neither.
     */
    public static Optional<String> replacing(Path dir) {
        String which;
        Path result = dir.resolve(RunReports.RESULT_JSON);
        if (Files.isRegularFile(result)) {
            try {
                var earlier = ResultJson.read(result);
                which = "a run of " + earlier.scenario() + (earlier.startedAt() == null ? ""
                    : " started " + earlier.startedAt());
            } catch (ResultFormatException e) {
                which = "a result.json";
            }
        } else if (Files.isRegularFile(dir.resolve(RunReports.COMPARE_MD))) {
            which = "an earlier comparison";
        } else {
            return Optional.empty();
        }
        return Optional.of(dir + " holds " + which + "; its files are replaced (leave out --out for a folder of its "
            + "own per run, with latest pointing at the newest)");
    }
}
