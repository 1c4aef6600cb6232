package io.fleetgen.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's package graph (issue 16): no package cycle; of the codec only its API (never {@code codec.impl});
 * nothing of the control's; the agent's API package ({@code AgentOptions}, {@code Cidr}) free of its implementation;
 * native access (JNA, Netty internals) in {@code impl.sys} only; no callback handed to an arbitrary event loop.
 * The cycle rule's self-check is the codec's ArchitectureTest.
 */
class ArchitectureTest {
    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.fleetgen.agent");

    @Test
    void thePackageGraphIsAcyclic() {
        slices().matching("io.fleetgen.(**)").should().beFreeOfCycles().check(AGENT);
    }

    @Test
    void onlyTheCodecsApiAndNoControl() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fleetgen.codec.impl..",
                "io.fleetgen.control..").check(AGENT);
    }

    /** One package owns native access: JNA, Netty's internals and libc bindings live in {@code impl.sys} alone. */
    @Test
    void nativeAccessLivesInOnePackage() {
        noClasses().that().resideOutsideOfPackage("io.fleetgen.agent.impl.sys").should().dependOnClassesThat()
                .resideInAnyPackage("com.sun.jna..", "io.netty.util.internal..").check(AGENT);
    }

    @Test
    void theApiPackageDoesNotReachIntoTheImplementation() {
        noClasses().that().resideInAPackage("io.fleetgen.agent").should().dependOnClassesThat()
                .resideInAPackage("io.fleetgen.agent.impl..").check(AGENT);
    }

    /**
     * A callback from the agent's own threads (a run's transmit or capture thread ending) reaches its verticle through
     * the verticle's context. {@code Vertx.runOnContext} from such a thread makes a new context on whichever event
     * loop comes next, so the callback ran beside the verticle's own handlers: under 16 concurrent start/stop lanes
     * a run's end and a STOP changed the registry of ending runs at once (ConcurrentModificationException, the STOP
     * answered INTERNAL; bench/src/ControlBench.java, 2026-11-28).
     */
    @Test
    void noCallbackRunsOnAnArbitraryEventLoop() {
        noClasses().should().callMethod(io.vertx.core.Vertx.class, "runOnContext", io.vertx.core.Handler.class)
                .check(AGENT);
    }
}
