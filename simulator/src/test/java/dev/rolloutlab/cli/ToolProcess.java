package dev.rolloutlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code rollout-lab ARGS} as a process of its own (for signals and other processes), its output kept in a log. */
final class ToolProcess {
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    static final String CLASSPATH = System.getProperty("java.class.path");

    private ToolProcess() {
    }

    /** Starts the tool with {@code tmp} (when not null) as the temp directory of it and of what it starts. */
    static Process start(Path log, Path tmp, String... args) throws IOException {
        return start(log, tmp, Map.of(), args);
    }

    /** Starts the tool with {@code env} added to its environment. */
    static Process start(Path log, Path tmp, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        if (tmp != null) {
            command.add("-Djava.io.tmpdir=" + tmp);
        }
        command.addAll(List.of("-cp", CLASSPATH, Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder tool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (tmp != null) {
            tool.environment().put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        }
        tool.environment().putAll(env);
        return tool.start();
    }

    /** The demo service run as a scenario's {@code service.command}, in a JVM kept small. */
    static String demoCommand() {
        return "'" + JAVA + "' -Xmx64m -cp '" + CLASSPATH + "' dev.rolloutlab.cli.Main demo --port ${PORT} "
            + "--version ${VERSION}";
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
