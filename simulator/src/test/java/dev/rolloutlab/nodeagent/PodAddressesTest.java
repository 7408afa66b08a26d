package dev.rolloutlab.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodAddressesTest {
    @Test
    void podsGetLoopbackAddressesInTurnAndTheirClusterAddressMapsOneToOne() {
        PodAddresses addresses = new PodAddresses();
        String first = addresses.allocate();
        String second = addresses.allocate();

        assertThat(first).isEqualTo("127.0.1.1");
        assertThat(second).isEqualTo("127.0.1.2");
        assertThat(PodAddresses.clusterIp(first)).isEqualTo("10.244.1.1");
        assertThat(PodAddresses.loopback("10.244.1.1")).isEqualTo(first);
        assertThat(PodAddresses.loopback("192.168.0.7")).as("not a pod's").isEqualTo("192.168.0.7");
    }

    @Test
    void aReleasedAddressIsNotReusedBeforeTheRangeWrapsAndAClaimedOneIsNotHandedOut() {
        PodAddresses addresses = new PodAddresses();
        addresses.release(addresses.allocate());
        assertThat(addresses.claim("127.0.1.3")).isTrue();
        assertThat(addresses.claim("127.0.1.3")).as("taken").isFalse();
        assertThat(addresses.claim("127.0.0.1")).as("the host's own").isFalse();

        assertThat(addresses.allocate()).isEqualTo("127.0.1.2");
        assertThat(addresses.allocate()).isEqualTo("127.0.1.4");
    }
}
