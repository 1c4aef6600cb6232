package io.fleetgen.codec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The codec's package graph (issue 16): no package cycle (each package its own slice), and nothing of the agent's
 * or the control's. The cycle rule is shown to fail on a deliberate cycle, so that its passing means something.
 */
class ArchitectureTest {
    /** Every package of ours a slice; no slice may reach itself again. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.fleetgen.(**)").should().beFreeOfCycles();

    private static final JavaClasses CODEC = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.fleetgen.codec");

    @Test
    void thePackageGraphIsAcyclic() {
        NO_PACKAGE_CYCLES.check(CODEC);
    }

    @Test
    void theCodecKnowsNeitherAgentNorControl() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fleetgen.agent..", "io.fleetgen.control..")
                .check(CODEC);
    }

    @Test
    void theWireModelDoesNotReachIntoItsImplementation() {
        noClasses().that().resideInAPackage("io.fleetgen.codec").should().dependOnClassesThat()
                .resideInAPackage("io.fleetgen.codec.impl..").check(CODEC);
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.fleetgen.codec.archfixture");
        assertTrue(fixture.size() >= 2, "the fixture's classes were imported");
        assertTrue(NO_PACKAGE_CYCLES.evaluate(fixture).hasViolation(), "a -> b -> a is reported");
    }
}
