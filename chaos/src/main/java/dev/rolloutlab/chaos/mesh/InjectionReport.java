package dev.rolloutlab.chaos.mesh;

import dev.rolloutlab.chaos.Fault;

/**
 * What became of one Chaos Mesh object of a fault. Creating the object is not injecting the fault: Chaos Mesh's
 * controller does that later and says so in the object's status, or says that the selector matched no pod; the API
 * server may refuse the object outright (a denied webhook, missing rights, a CRD not installed).
 *
 * @param object the object's kind and name, e.g. {@code NetworkChaos rl-1a2b3c4d-1-latency}
 * @param detail what Chaos Mesh or the API server said; why it did not happen for {@link Stage#FAILED}
 */
public record InjectionReport(Fault fault, Stage stage, String object, String detail) {
    public enum Stage {
        /** The API server accepted the object; Chaos Mesh has yet to act on it. */
        APPLIED,
        /** Chaos Mesh reports it injected into every selected pod ({@code AllInjected}). */
        INJECTED,
        /** It did not happen: refused, nothing selected, or never confirmed while the fault lasted. */
        FAILED,
        /** The fault's time is over: the object is deleted. */
        ENDED
    }
}
