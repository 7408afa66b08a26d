package dev.rolloutlab.result;

/** A result.json that cannot be read: the message names the file and what is wrong. */
public final class ResultFormatException extends RuntimeException {
    public ResultFormatException(String message) {
        super(message);
    }
}
