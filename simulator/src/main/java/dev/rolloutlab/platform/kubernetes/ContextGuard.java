package dev.rolloutlab.platform.kubernetes;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides, from the kubeconfig alone and before any request, whether rollout-lab may act on a cluster. It deploys,
 * injects faults and deletes, so a wrong current context must never reach a shared cluster: only {@code kind-*}
 * contexts are allowed unless the user names others with {@code --allow-context} or in the allow file.
 */
public final class ContextGuard {
    /** Why a context may not be used; the message says how to allow it. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private ContextGuard() {
    }

    /** {@code $XDG_CONFIG_HOME/rollout-lab/allowed-contexts} (or under {@code ~/.config}): one context per line. */
    public static Path defaultAllowFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("rollout-lab").resolve("allowed-contexts");
    }

    /**
     * Reads the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}) for {@code context}, or its current context
     * when {@code null}, and returns the client configuration if that context is allowed.
     *
     * @param allowAny  {@code --allow-context}: the user accepts whatever context this is
     * @param allowFile extra allowed context names, one per line ({@code #} comments); need not exist
     * @throws Refused naming the context and how to allow it
     */
    public static Config allowed(String context, boolean allowAny, Path allowFile) {
        Config config = Config.autoConfigure(context);
        NamedContext current = config.getCurrentContext();
        if (context != null && (current == null || !context.equals(current.getName()))) {
            List<NamedContext> known = config.getContexts();
            throw new Refused("kubeconfig context \"" + context + "\" does not exist (known: "
                + (known == null || known.isEmpty() ? "none"
                    : known.stream().map(NamedContext::getName).collect(Collectors.joining(", "))) + ")");
        }
        if (current == null) {
            throw new Refused("no kubeconfig context: create a kind cluster with kind-config/up.sh, or set KUBECONFIG");
        }
        String name = current.getName();
        if (allowAny || name.startsWith("kind-") || listed(name, allowFile)) {
            return config;
        }
        throw new Refused("refusing kubeconfig context \"" + name + "\": rollout-lab deploys, injects faults and deletes "
            + "there, so only kind-* contexts are allowed by default; pass --allow-context, or add the line \"" + name
            + "\" to " + allowFile);
    }

    private static boolean listed(String name, Path allowFile) {
        if (allowFile == null || !Files.isRegularFile(allowFile)) {
            return false;
        }
        try {
            return Files.readAllLines(allowFile).stream().map(String::strip)
                .anyMatch(line -> !line.startsWith("#") && line.equals(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + allowFile, e);
        }
    }
}
