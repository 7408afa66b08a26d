package dev.rolloutlab.cli;

/**
 * Work a command could not finish (one run of a comparison, the cluster's side of a cleanup, the demo's port), worded
 * by the command because only it knows which part failed: printed as is, exit 3 ({@link ExitCodes}).
 */
final class CouldNotFinish extends RuntimeException {
    CouldNotFinish(String message, Throwable cause) {
        super(message, cause);
    }
}
