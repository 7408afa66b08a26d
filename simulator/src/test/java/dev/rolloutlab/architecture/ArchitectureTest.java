package dev.rolloutlab.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.rolloutlab.result.UpwardImport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layers read bottom-up: a package depends only on packages of lower levels, packages of one level are
 * independent of each other, and no packages form a cycle. A level lists packages; "{@code x}" is the package itself,
 * "{@code x..}" the package and its sub-packages.
 */
class ArchitectureTest {
    /** Bottom first. */
    static final List<List<String>> LEVELS = List.of(
        List.of("result..", "measure..", "chaos", "demo..", "stats.."),
        List.of("clock..", "reports", "prometheus.."),
        List.of("scenario..", "traffic..", "metrics..", "reports.html..", "repeat.."),
        List.of("platform", "chaos.mesh..", "reports.output.."),
        List.of("platform.local..", "platform.kubernetes.."),
        List.of("strategy..", "analysis..", "nodeagent.."),
        List.of("engine.."),
        List.of("bench.."),
        List.of("cli.."));

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.rolloutlab");
    }

    /** One rule per package: no dependency on a package of its own level or above. */
    static List<ArchRule> layerRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (int level = 0; level < LEVELS.size(); level++) {
            for (String pkg : LEVELS.get(level)) {
                List<String> notBelow = new ArrayList<>();
                for (int other = level; other < LEVELS.size(); other++) {
                    LEVELS.get(other).stream().filter(p -> !p.equals(pkg)).map(ArchitectureTest::qualified)
                        .forEach(notBelow::add);
                }
                rules.add(noClasses().that().resideInAPackage(qualified(pkg))
                    .should().dependOnClassesThat().resideInAnyPackage(notBelow.toArray(String[]::new))
                    .allowEmptyShould(true).as(pkg + " depends only on packages of lower levels"));
            }
        }
        return rules;
    }

    private static String qualified(String pkg) {
        return "dev.rolloutlab." + pkg;
    }

    @Test
    void everyPackageDependsOnlyOnLowerLevels() {
        layerRules().forEach(rule -> rule.check(production));
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.rolloutlab.(**)").should().beFreeOfCycles().check(production);
    }

    @Test
    void everyProductionPackageHasALevel() {
        List<String> unplaced = production.stream().map(c -> c.getPackageName().substring("dev.rolloutlab.".length()))
            .distinct().filter(p -> LEVELS.stream().flatMap(List::stream).noneMatch(l -> covers(l, p))).toList();
        assertThat(unplaced).as("packages missing from LEVELS").isEmpty();
    }

    private static boolean covers(String level, String pkg) {
        return level.endsWith("..") ? pkg.equals(level.substring(0, level.length() - 2))
            || pkg.startsWith(level.substring(0, level.length() - 1)) : pkg.equals(level);
    }

    /** The rules catch an upward import: a class at the bottom (result) that reaches up to the engine. */
    @Test
    void anUpwardImportFailsTheRules() {
        JavaClasses withUpwardImport = new ClassFileImporter().importClasses(UpwardImport.class);
        List<String> violations = new ArrayList<>();
        layerRules().forEach(rule -> violations.addAll(rule.evaluate(withUpwardImport).getFailureReport()
            .getDetails()));
        assertThat(violations).singleElement().asString().contains("UpwardImport", "dev.rolloutlab.engine.Run");
    }
}
