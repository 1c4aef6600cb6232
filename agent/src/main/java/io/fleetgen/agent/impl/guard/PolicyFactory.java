package io.fleetgen.agent.impl.guard;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.agent.Cidr;
import io.fleetgen.agent.impl.net.Interfaces;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.InetText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's {@link Policy} from its options and this host's interfaces (blocking: reads the addresses). The
 * management interface is the one holding the agent's cluster address: it is never a default destination nor a
 * default capture interface.
 */
public final class PolicyFactory {
    private PolicyFactory() {
    }

    public static Policy policy(AgentOptions o, String managementAddress) throws IOException {
        List<Interfaces.Addr> addrs = Interfaces.addresses();
        String mgmt = Interfaces.owning(InetText.parse("bind", managementAddress));
        List<Cidr> destinations = new ArrayList<>(o.getAllow());
        Set<String> capture = new HashSet<>(o.getCaptureInterfaces());
        Set<String> local = new HashSet<>();
        for (Interfaces.Addr a : addrs) {
            local.add(a.cidrText().substring(0, a.cidrText().indexOf('/')));
            if (a.iface().equals(mgmt)) {
                continue;
            }
            if (o.getAllow().isEmpty()) {
                destinations.add(Cidr.parse("allow", a.cidrText()));
            }
            if (o.getCaptureInterfaces().isEmpty()) {
                capture.add(a.iface());
            }
        }
        for (String i : capture) {
            if (i.equals("any") || i.equals("lo")) {
                throw ValidationException.of("capture-ifaces", i, "named data interfaces (never any or lo)");
            }
        }
        return new Policy(destinations, o.getAllowSources(), local, capture, o.getMaxCapfilterChars());
    }
}
