package io.nnserve.nn;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is pure Java and ojAlgo: no framework, web, storage or other feature package. */
class ArchitectureTest {

    /**
     * The engine's own classes only. Package names are all the rules need, so dependencies are not resolved from
     * the class path (that made the import take seconds); the setting holds for this thread's import alone.
     */
    private static final JavaClasses ENGINE = ArchConfiguration.withThreadLocalScope(configuration -> {
        configuration.setResolveMissingDependenciesFromClassPath(false);
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.nnserve.nn");
    });

    @Test
    void engineDependsOnNoFrameworkOrStorage() {
        noClasses().that().resideInAPackage("io.nnserve.nn..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta..", "java.sql..",
                        "tools.jackson..", "com.fasterxml..", "javax.sql..")
                .check(ENGINE);
    }

    @Test
    void engineDependsOnNoOtherNnservePackage() {
        noClasses().that().resideInAPackage("io.nnserve.nn..")
                .should().dependOnClassesThat(resideInAPackage("io.nnserve..").and(resideOutsideOfPackage("io.nnserve.nn..")))
                .check(ENGINE);
    }
}
