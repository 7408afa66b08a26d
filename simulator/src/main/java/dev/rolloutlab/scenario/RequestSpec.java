package dev.rolloutlab.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kind of request of the load's mix ({@code load.requests}). {@code ${user}} and {@code ${seq}} in the path, the
 * header values and the body become the request's user id and sequence number.
 *
 * @param name     names the kind in results, and travels in the {@code X-Request-Name} request header
 * @param method   default GET
 * @param path     absolute path (and query); it replaces the target URL's path
 * @param headers  sent as written, after the generator's own ({@code Host}, {@code X-Request-Name})
 * @param body     the body, inline; or {@code bodyFile}, a file relative to the scenario file's folder
 * @param weight   share of the requests relative to the other kinds' weights (default 1)
 */
public record RequestSpec(String name, String method, String path, Map<String, String> headers, String body,
                          String bodyFile, double weight) {
    /** Methods whose responses the generator can read without knowing the request: HEAD's has no body. */
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public RequestSpec {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @JsonCreator
    static RequestSpec fromYaml(@JsonProperty("name") String name, @JsonProperty("method") String method,
                                @JsonProperty("path") String path,
                                @JsonProperty("headers") LinkedHashMap<String, String> headers,
                                @JsonProperty("body") String body, @JsonProperty("bodyFile") String bodyFile,
                                @JsonProperty("weight") Double weight) {
        return new RequestSpec(name, method != null ? method : "GET", path, headers, body, bodyFile,
            weight != null ? weight : 1);
    }

    /** The body file, resolved against the folder of the scenario file {@code source}. */
    public Path bodyFileIn(Path source) {
        Path folder = source.toAbsolutePath().getParent();
        return folder == null ? Path.of(bodyFile) : folder.resolve(bodyFile);
    }
}
