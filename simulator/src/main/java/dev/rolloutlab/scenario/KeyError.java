package dev.rolloutlab.scenario;

/**
 * Thrown while a record is built from YAML when one of its keys is at fault, so the message can point at that key's
 * value instead of at the whole mapping.
 */
final class KeyError extends IllegalArgumentException {
    private final String key;

    KeyError(String key, String message) {
        super(message);
        this.key = key;
    }

    String key() {
        return key;
    }
}
