package dev.rolloutlab.engine;

/** The run itself failed (the platform or the generator could not do its part): exit code 3. */
public final class RunFailure extends RuntimeException {
    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
