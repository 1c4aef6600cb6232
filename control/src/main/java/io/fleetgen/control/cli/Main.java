package io.fleetgen.control.cli;

import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.control.repl.ControlMain;
import io.fleetgen.control.service.ServeCommand;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code fleetgen}: the REPL ({@link ControlMain}) with the service as its {@code serve} subcommand. The one class
 * that knows both, so that neither package depends on the other.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        FleetgenCluster.quietNetty();
        boolean verbose = List.of(args).contains("--verbose");
        boolean serve = args.length > 0 && args[0].equals("serve");
        // Before any logger exists: normal use prints only what the user asked for (issue 12); a service logs
        // warnings, as an agent does.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose || serve ? "warn" : "off");
        // Vert.x's metrics register some gauges twice, which Micrometer reports once; nothing to act on.
        System.setProperty("org.slf4j.simpleLogger.log.io.micrometer", "error");
        System.exit(new CommandLine(new ControlMain()).addSubcommand("serve", new ServeCommand()).execute(args));
    }
}
