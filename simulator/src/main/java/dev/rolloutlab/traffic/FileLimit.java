package dev.rolloutlab.traffic;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's open-file limit, which bounds how many connections the generator may open: every connection is a
 * file descriptor here (and on the local platform, three more in the proxy and the replica it reaches).
 */
public final class FileLimit {
    /** Descriptors left for everything that is not a connection: jars, the JDK's own files, listeners, logs. */
    static final long RESERVE = 512;

    private FileLimit() {
    }

    /**
     * The most connections that fit in the descriptors still free, each costing {@code descriptorsPerConnection};
     * {@code wanted} when the limit cannot be read (not a Unix JVM).
     */
    public static int connectionCap(int wanted, int descriptorsPerConnection) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
            return wanted;
        }
        long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - RESERVE;
        return (int) Math.max(1, Math.min(wanted, free / descriptorsPerConnection));
    }
}
