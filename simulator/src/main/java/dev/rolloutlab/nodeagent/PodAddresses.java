package dev.rolloutlab.nodeagent;

import java.util.HashSet;
import java.util.Set;

/**
 * Addresses for pods, one each from {@code 127.0.1.1} to {@code 127.0.255.254}: Linux answers the whole of 127/8 on
 * {@code lo}, so every pod listens on its own address and the same container port, as pods of a real node do.
 * Addresses are handed out in turn and not reused until the range wraps, so a late packet for a deleted pod finds
 * nobody.
 *
 * <p>The API server refuses loopback addresses in EndpointSlices ("may not be in the loopback range"), so the
 * EndpointSlice controller could not list such pods. A pod's IP as the API server knows it is therefore its
 * {@link #clusterIp cluster address} {@code 10.244.x.y} (kind's pod range), one to one with its listening address
 * {@code 127.0.x.y}; only the agent (its proxy, its prober) turns one into the other. Nothing on the host routes
 * 10.244/16: a process other than the agent reaches a pod through a NodePort, not its pod IP.
 */
final class PodAddresses {
    /** 127.0.1.1 to 127.0.255.254: 127.0.0.0/24 is the host's own, and the cluster range has two octets. */
    private static final int FIRST = (1 << 8) + 1;
    private static final int LAST = (255 << 8) + 254;
    private static final String CLUSTER_PREFIX = "10.244.";
    private static final String LOOPBACK_PREFIX = "127.0.";

    /** {@code 127.0.x.y} to {@code 10.244.x.y}. */
    static String clusterIp(String loopback) {
        return loopback.startsWith(LOOPBACK_PREFIX) ? CLUSTER_PREFIX + loopback.substring(LOOPBACK_PREFIX.length())
            : loopback;
    }

    /** {@code 10.244.x.y} to {@code 127.0.x.y}; any other address as it is. */
    static String loopback(String clusterIp) {
        return clusterIp.startsWith(CLUSTER_PREFIX) ? LOOPBACK_PREFIX + clusterIp.substring(CLUSTER_PREFIX.length())
            : clusterIp;
    }

    private final Set<Integer> taken = new HashSet<>();
    private int next = FIRST;

    /** A free address. */
    synchronized String allocate() {
        for (int tries = 0; tries <= LAST - FIRST; tries++) {
            int candidate = next;
            next = next == LAST ? FIRST : next + 1;
            if (usable(candidate) && taken.add(candidate)) {
                return text(candidate);
            }
        }
        throw new IllegalStateException("no free loopback address for a pod (127.0.1.1 to 127.0.255.254 all taken)");
    }

    /**
     * Takes {@code address} if it is one of this range and free: a pod this agent's predecessor ran keeps its podIP,
     * which the API server does not let change.
     *
     * @return whether the address is now this pod's
     */
    synchronized boolean claim(String address) {
        Integer n = parse(address);
        return n != null && usable(n) && taken.add(n);
    }

    synchronized void release(String address) {
        Integer n = parse(address);
        if (n != null) {
            taken.remove(n);
        }
    }

    private static boolean usable(int n) {
        int last = n & 0xff;
        return n >= FIRST && n <= LAST && last != 0 && last != 255;
    }

    private static String text(int n) {
        return "127." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private static Integer parse(String address) {
        if (address == null) {
            return null;
        }
        String[] parts = address.split("\\.");
        if (parts.length != 4 || !parts[0].equals("127") || !parts[1].equals("0")) {
            return null;
        }
        try {
            int n = 0;
            for (int i = 1; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part < 0 || part > 255) {
                    return null;
                }
                n = (n << 8) | part;
            }
            return n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
