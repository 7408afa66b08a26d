package dev.rolloutlab.scenario;

/**
 * One thing wrong with a scenario.
 *
 * @param atKey whether to point at the key (it should not be there) or at its value (the value is wrong); a
 *              path the document lacks points at the nearest key it has
 */
record Problem(KeyPath path, boolean atKey, String message) {
    static Problem atValue(KeyPath path, String message) {
        return new Problem(path, false, message);
    }

    static Problem atKey(KeyPath path, String message) {
        return new Problem(path, true, message);
    }
}
