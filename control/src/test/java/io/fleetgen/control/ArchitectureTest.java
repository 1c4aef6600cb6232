package io.fleetgen.control;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The control's package graph (issue 16): no package cycle (the REPL and the service meet only in {@code cli});
 * of the codec only its API; nothing of the agent's; the Java API ({@code io.fleetgen.control}) knows neither the
 * REPL nor the service. The cycle rule's self-check is the codec's ArchitectureTest.
 */
class ArchitectureTest {
    private static final JavaClasses CONTROL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.fleetgen.control");

    @Test
    void thePackageGraphIsAcyclic() {
        slices().matching("io.fleetgen.(**)").should().beFreeOfCycles().check(CONTROL);
    }

    @Test
    void onlyTheCodecsApiAndNoAgent() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fleetgen.codec.impl..",
                "io.fleetgen.agent..").check(CONTROL);
    }

    @Test
    void theJavaApiKnowsNeitherReplNorService() {
        noClasses().that().resideInAPackage("io.fleetgen.control").should().dependOnClassesThat()
                .resideInAnyPackage("io.fleetgen.control.repl..", "io.fleetgen.control.service..",
                        "io.fleetgen.control.cli..").check(CONTROL);
    }
}
