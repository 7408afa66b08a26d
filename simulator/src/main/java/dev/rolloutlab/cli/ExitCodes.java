package dev.rolloutlab.cli;

import dev.rolloutlab.engine.Run;
import dev.rolloutlab.engine.RunFailure;
import dev.rolloutlab.platform.kubernetes.ContextGuard;
import dev.rolloutlab.result.ResultFormatException;
import dev.rolloutlab.result.RunResult;
import dev.rolloutlab.scenario.ScenarioException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one mapping from how a command ended to the exit code of {@link Main} and what the user reads. A command
 * returns the code of its verdict (a run's through {@link #ofRun}) and throws for anything else; the exception's type
 * decides the code, so that the same trouble exits alike from every command:
 * <ul>
 *   <li>2, bad input: an option picocli refuses, a scenario ({@link ScenarioException}), a result.json
 *       ({@link ResultFormatException}), a kubeconfig context that is not allowed, or what a command refuses itself
 *       ({@link BadInput}). The message names the file, key or option, one line per problem, no stack trace.
 *   <li>3, the work could not be done: the run ({@link RunFailure}), a file that cannot be written, what a command
 *       could not finish ({@link CouldNotFinish}), and anything unexpected, which must never read as a failed gate.
 * </ul>
 */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper, CommandLine.IExecutionExceptionHandler,
    CommandLine.IParameterExceptionHandler {

    /** A finished run: interrupted, not measured (the generator could not make the measurement), or its gates. */
    static int ofRun(RunResult result) {
        if (aborted(result)) {
            return Main.EXIT_INTERRUPTED;
        }
        if (Run.INVALID.equals(result.outcome())) {
            return Main.EXIT_RUN_FAILED;
        }
        return result.gatesPassed() ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
    }

    /** A comparison: interrupted when one of its runs was (no later one started), else whether all gates passed. */
    static int ofComparison(List<RunResult> results) {
        if (results.stream().anyMatch(ExitCodes::aborted)) {
            return Main.EXIT_INTERRUPTED;
        }
        return results.stream().allMatch(RunResult::gatesPassed) ? Main.EXIT_OK : Main.EXIT_GATE_FAILED;
    }

    static boolean aborted(RunResult result) {
        return "aborted".equals(result.outcome());
    }

    @Override
    public int getExitCode(Throwable failure) {
        boolean badInput = failure instanceof ParameterException || failure instanceof BadInput
            || failure instanceof ScenarioException || failure instanceof ResultFormatException
            || failure instanceof ContextGuard.Refused;
        return badInput ? Main.EXIT_BAD_INPUT : Main.EXIT_RUN_FAILED;
    }

    /** An option or parameter picocli could not take: what is wrong and where the help is. */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("rollout-lab: " + e.getMessage());
        command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        return getExitCode(e);
    }

    /** A command that threw: what it printed so far, then the failure in the user's terms. */
    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        command.getOut().flush();
        PrintWriter err = command.getErr();
        Optional<String> explained = explanation(e);
        if (explained.isPresent()) {
            err.println(explained.get());
        } else {
            err.println("rollout-lab: failed: " + e);
            if (System.getenv("ROLLOUT_LAB_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set ROLLOUT_LAB_DEBUG=1 for the stack trace)");
            }
        }
        err.flush();
        return getExitCode(e);
    }

    /** The message of a foreseen failure; empty for one nobody foresaw, whose type and stack trace may help. */
    private static Optional<String> explanation(Exception e) {
        if (e instanceof RunFailure) {
            return Optional.of("rollout-lab: run failed: " + e.getMessage());
        }
        if (e instanceof ContextGuard.Refused || e instanceof UncheckedIOException) {
            return Optional.of("rollout-lab: " + e.getMessage());
        }
        boolean selfExplaining = e instanceof BadInput || e instanceof CouldNotFinish
            || e instanceof ScenarioException || e instanceof ResultFormatException;
        return selfExplaining ? Optional.of(e.getMessage()) : Optional.empty();
    }
}
