package dev.rolloutlab.platform.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which replica processes ({@code service.command}) this tool started, one process group each, in a file per tool
 * process under {@code $TMPDIR/rollout-lab-processes/}: a run killed so hard that its replicas' watchdogs were killed
 * too leaves this record, and {@code rollout-lab cleanup --local} ends the groups it lists.
 */
public final class ProcessRecord {
    /** The environment variable that names the tool's pid in every replica process, checked before killing. */
    static final String TOOL_PID = "ROLLOUT_LAB_PID";

    private static final long SELF = ProcessHandle.current().pid();

    private ProcessRecord() {
    }

    static Path folder() {
        return Path.of(System.getProperty("java.io.tmpdir"), "rollout-lab-processes");
    }

    /** Records a process group this tool started. */
    static synchronized void started(long group) {
        try {
            Files.createDirectories(folder());
            Files.writeString(folder().resolve(SELF + ".groups"), group + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the replica process " + group + " in " + folder(), e);
        }
    }

    /** Forgets a process group once its leader has exited; the record goes with its last group. */
    static synchronized void ended(long group) {
        Path file = folder().resolve(SELF + ".groups");
        try {
            if (!Files.exists(file)) {
                return;
            }
            List<String> left = Files.readAllLines(file).stream().filter(l -> !l.strip().equals(Long.toString(group)))
                .toList();
            if (left.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                Files.write(file, left, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the replica process record " + file, e);
        }
    }

    /** What {@link #cleanUp} did: the process groups it ended, and the records of tools no longer running. */
    public record Cleaned(List<Long> groups, int records) {
    }

    /**
     * Ends every recorded process group whose tool is no longer running and whose processes still carry that tool's
     * pid (a pid reused by another program is left alone), then deletes the record.
     */
    public static synchronized Cleaned cleanUp() {
        List<Long> ended = new ArrayList<>();
        int records = 0;
        if (!Files.isDirectory(folder())) {
            return new Cleaned(ended, 0);
        }
        try (Stream<Path> files = Files.list(folder())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".groups")).toList()) {
                String name = file.getFileName().toString();
                long tool = Long.parseLong(name.substring(0, name.length() - ".groups".length()));
                if (ProcessHandle.of(tool).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    long group = Long.parseLong(line.strip());
                    if (endGroup(group, tool)) {
                        ended.add(group);
                    }
                }
                Files.deleteIfExists(file);
                records++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the records in " + folder(), e);
        }
        return new Cleaned(ended, records);
    }

    /** SIGKILL to every process still in {@code group} that was started for tool process {@code tool}. */
    private static boolean endGroup(long group, long tool) {
        List<ProcessHandle> members = ProcessHandle.allProcesses()
            .filter(p -> processGroup(p.pid()).orElse(-1L) == group && startedFor(p.pid(), tool)).toList();
        members.forEach(ProcessHandle::destroyForcibly);
        return !members.isEmpty();
    }

    /** The process group of a process, from {@code /proc/PID/stat} (field 5, after the command in parentheses). */
    static Optional<Long> processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static boolean startedFor(long pid, long tool) {
        try {
            String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                StandardCharsets.UTF_8);
            return Stream.of(environ.split("\0")).anyMatch(v -> v.equals(TOOL_PID + "=" + tool));
        } catch (IOException gone) {
            return false;
        }
    }
}
