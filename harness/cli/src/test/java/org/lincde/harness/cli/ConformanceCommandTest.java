package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lincde.harness.conformance.faults.SignFlipBackendProvider;

/** {@code lincde conformance}: table formats, filters, exit codes, and a backend found on the class path. */
class ConformanceCommandTest {
    @TempDir
    Path dir;

    @Test
    void markdownTableForOneStructurePassesWithExitCodeZero() throws IOException {
        Path file = dir.resolve("conformance.md");
        Cli.Result r = Cli.run(new ConformanceCommand(), "conformance", "--structure", "diagonal", "--dtype", "float64",
                "--backend", "reference", "--output", file.toString()); // every backend: ConformanceSuiteTest
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| backend | structure | model | check | dtype | outcome | tensor | max abs | max rel |"
                + " worst index | tolerance | detail |");
        assertThat(r.out()).contains("| reference | diagonal | lcde | forward | float64 | PASS | logits |")
                .contains("| reference | diagonal | lcde | finite-differences | float64 | PASS |")
                .contains("known gaps of 'reference'").doesNotContain("| block-diagonal |");
        assertThat(Files.readString(file)).isEqualTo(r.out());
    }

    @Test
    void csvHasOneRowPerCase() {
        Cli.Result r = Cli.run(new ConformanceCommand(), "conformance", "--structure", "walsh-hadamard", "--format", "csv",
                "--backend", "reference");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("backend,structure,model,check,dtype,outcome,tensor,max abs,max rel,worst index,"
                + "tolerance,detail");
        assertThat(r.out()).contains("reference,walsh-hadamard,-,hadamard,float64,PASS,")
                .contains("reference,walsh-hadamard,lcde,forward,float32,UNSUPPORTED,");
        assertThat(r.err()).contains("0 FAIL");
    }

    @Test
    void badArgumentsExitWithTwoNamingTheValue() {
        Cli.Result r = Cli.run(new ConformanceCommand(), "conformance", "--backend", "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown backend 'nope' (available: [reference");
        r = Cli.run(new ConformanceCommand(), "conformance", "--structure", "tridiagonal");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown structure 'tridiagonal'");
        r = Cli.run(new ConformanceCommand(), "conformance", "--format", "xml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format must be md or csv, got 'xml'");
    }

    @Test
    void aFailingBackendOnTheClassPathIsFoundAndMakesTheExitCodeOne() throws IOException {
        Path services = dir.resolve("META-INF/services/org.lincde.spi.Backend");
        Files.createDirectories(services.getParent());
        Files.writeString(services, SignFlipBackendProvider.class.getName() + "\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            Cli.Result r = Cli.run(new ConformanceCommand(), "conformance", "--backend", "planted-gradient_sign_flip",
                    "--structure", "diagonal", "--dtype", "float64", "--problems-only");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("FAIL planted-gradient_sign_flip diagonal/lcde/gradients/float64: grad ");
            assertThat(r.out()).contains("| planted-gradient_sign_flip | diagonal | lcde | gradients | float64 | FAIL |")
                    .doesNotContain("| PASS |");
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
