package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.serialization.DataSerializerHook;
import com.hazelcast.spi.impl.servicemanager.ServiceDescriptorProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service lists the agent and control jars take instead of Hazelcast's (codec's META-INF/services): every entry is
 * one of Hazelcast's own, and the families the cluster cannot do without are there. A misspelt line would silently
 * leave a family out, and only a lab run would show it.
 */
class HazelcastServicesTest {
    private static final String HOOKS = "META-INF/services/com.hazelcast.DataSerializerHook";
    private static final String SERVICES = "META-INF/services/com.hazelcast.spi.impl.servicemanager."
            + "ServiceDescriptorProvider";

    @Test
    void everyRegisteredHookIsOneOfHazelcastsAndTheClusterOnesAreThere() throws Exception {
        List<String> ours = entries(Files.readAllLines(Path.of("src/main/resources", HOOKS)));
        List<String> hazelcasts = hazelcastList(HOOKS);
        for (String hook : ours) {
            assertTrue(hazelcasts.contains(hook), hook + " is not in Hazelcast's own list");
            assertTrue(DataSerializerHook.class.isAssignableFrom(Class.forName(hook)), hook);
        }
        assertEquals(ours.size(), ours.stream().distinct().count(), "a hook listed twice");
        for (String needed : List.of("internal.cluster.impl.ClusterDataSerializerHook",
                "spi.impl.SpiDataSerializerHook", "internal.partition.impl.PartitionDataSerializerHook",
                "map.impl.MapDataSerializerHook", "multimap.impl.MultiMapDataSerializerHook",
                "spi.impl.merge.SplitBrainDataSerializerHook", "internal.config.ConfigDataSerializerHook")) {
            assertTrue(ours.contains("com.hazelcast." + needed), needed + " missing: the cluster needs it");
        }
        for (String left : List.of("collection.impl.queue.QueueDataSerializerHook",
                "executor.impl.ExecutorDataSerializerHook", "cache.impl.CacheDataSerializerHook",
                "jet.core.JetDataSerializerHook", "cp.internal.RaftServiceDataSerializerHook")) {
            assertTrue(hazelcasts.contains("com.hazelcast." + left), left + ": Hazelcast renamed it");
            assertTrue(!ours.contains("com.hazelcast." + left), left + " is registered");
        }
    }

    @Test
    void theRaftServiceAloneIsRegistered() throws Exception {
        List<String> ours = entries(Files.readAllLines(Path.of("src/main/resources", SERVICES)));
        assertEquals(List.of("com.hazelcast.cp.internal.RaftServiceDescriptorProvider"), ours,
                "a joining member asks the Raft service for its CP member");
        assertTrue(hazelcastList(SERVICES).containsAll(ours));
        assertTrue(ServiceDescriptorProvider.class.isAssignableFrom(Class.forName(ours.get(0))));
    }

    /** The list in Hazelcast's own jar (the class path holds codec's file too, from another location). */
    private static List<String> hazelcastList(String resource) throws IOException {
        URL jar = DataSerializerHook.class.getProtectionDomain().getCodeSource().getLocation();
        for (URL u : Collections.list(HazelcastServicesTest.class.getClassLoader().getResources(resource))) {
            if (u.toString().contains(jar.getPath())) {
                try (InputStream in = u.openStream()) {
                    return entries(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
                }
            }
        }
        throw new AssertionError("no " + resource + " in " + jar);
    }

    private static List<String> entries(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!entry.isEmpty()) {
                out.add(entry);
            }
        }
        return out;
    }
}
