package dev.rolloutlab.traffic;

import dev.rolloutlab.measure.Recorder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One kind of request of a mix, as plain values: {@link #USER} and {@link #SEQ} in the path, the header values and the
 * body are replaced per request by the request's user id and sequence number.
 *
 * @param name    reported per kind, and sent in {@link #NAME_HEADER}; {@code null} for the load's single default GET,
 *                which sends no name
 * @param path    absolute path (and query) of the request; it replaces the target URL's
 * @param headers sent in this order, after {@code Host}
 * @param body    sent with a {@code Content-Length}; empty for none
 * @param weight  share of the requests, relative to the other kinds' weights
 */
public record RequestKind(String name, String method, String path, Map<String, String> headers, byte[] body,
                          double weight) {
    public static final String USER = "${user}";
    public static final String SEQ = "${seq}";
    /** The request header that carries the kind's name, so a service (the demo echoes it) can tell the kinds apart. */
    public static final String NAME_HEADER = "X-Request-Name";

    public RequestKind {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body;
    }

    /** The load's requests without a mix: GETs of the target's own path, named nothing on the wire. */
    static RequestKind targetGet(String pathAndQuery) {
        return new RequestKind(null, "GET", pathAndQuery, Map.of(), null, 1);
    }

    /** The names results report the kinds under, in the mix's order. */
    public static List<String> names(List<RequestKind> kinds) {
        return kinds.isEmpty() ? List.of(Recorder.DEFAULT_REQUEST_NAME)
            : kinds.stream().map(k -> k.name() == null ? Recorder.DEFAULT_REQUEST_NAME : k.name()).toList();
    }
}
