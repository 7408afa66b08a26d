package dev.rolloutlab.measure;

import java.util.List;

/** The HTTP statuses that count as success, from entries such as {@code 2xx} or {@code 404}. */
public final class StatusSet {
    public static final StatusSet DEFAULT = parse(List.of("2xx", "3xx"));

    private final boolean[] success = new boolean[600];

    private StatusSet() {
    }

    /** @throws IllegalArgumentException for an entry that is neither a class {@code Nxx} nor a code 100..599 */
    public static StatusSet parse(List<String> entries) {
        StatusSet set = new StatusSet();
        for (String raw : entries) {
            String e = raw.trim().toLowerCase(java.util.Locale.ROOT);
            if (e.matches("[1-5]xx")) {
                int base = (e.charAt(0) - '0') * 100;
                for (int c = base; c < base + 100; c++) {
                    set.success[c] = true;
                }
            } else if (e.matches("[1-5]\\d\\d")) {
                set.success[Integer.parseInt(e)] = true;
            } else {
                throw new IllegalArgumentException("bad status \"" + raw + "\" (expected a class like 2xx or a code 100..599)");
            }
        }
        return set;
    }

    public boolean succeeds(int status) {
        return status >= 0 && status < success.length && success[status];
    }
}
