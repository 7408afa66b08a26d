package dev.rolloutlab.measure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small integer ids for the served versions, so counters are arrays; id 0 is "unknown" (no version header). */
final class Versions {
    static final int UNKNOWN = 0;
    static final int MAX = 16;
    static final String OTHER = "other";
    static final String UNKNOWN_NAME = "unknown";

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>(List.of(UNKNOWN_NAME));

    /** Versions past {@link #MAX} share the last id: a misbehaving header cannot grow memory. */
    int id(String version) {
        if (version == null) {
            return UNKNOWN;
        }
        Integer id = ids.get(version);
        if (id != null) {
            return id;
        }
        if (names.size() == MAX - 1) {
            names.add(OTHER);
        }
        if (names.size() >= MAX) {
            return MAX - 1;
        }
        ids.put(version, names.size());
        names.add(version);
        return names.size() - 1;
    }

    /** @return the id of a version already seen, or -1 */
    int find(String version) {
        return version == null ? UNKNOWN : ids.getOrDefault(version, -1);
    }

    int size() {
        return names.size();
    }

    String name(int id) {
        return names.get(id);
    }
}
