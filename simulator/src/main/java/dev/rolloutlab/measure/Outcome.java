package dev.rolloutlab.measure;

/** What the client saw for one request. Only {@link #SUCCESS} succeeds; the others are failure causes. */
public enum Outcome {
    SUCCESS, REFUSED, RESET, TIMEOUT, HTTP5XX, HTTP4XX, OTHER;

    static final Outcome[] FAILURES = {REFUSED, RESET, TIMEOUT, HTTP5XX, HTTP4XX, OTHER};

    public boolean failed() {
        return this != SUCCESS;
    }
}
