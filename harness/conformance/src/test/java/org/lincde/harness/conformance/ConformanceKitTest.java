package org.lincde.harness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lincde.harness.conformance.faults.FaultyBackend;
import org.lincde.harness.conformance.faults.PlantedFault;
import org.lincde.spi.DType;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.StructuredVectorField;
import org.lincde.spi.structure.BlockDiagonalStructure;

/** The kit's instance API (no ServiceLoader), outcome counts and known gaps. */
class ConformanceKitTest {

    /** A structure no ServiceLoader file names: block-diagonal math under another id. */
    static final class UnregisteredStructure implements Structure {
        private final BlockDiagonalStructure inner = new BlockDiagonalStructure();

        @Override
        public String id() {
            return "test.unregistered";
        }

        @Override
        public String label(StructureSpec spec) {
            return "U";
        }

        @Override
        public String description() {
            return "test only";
        }

        @Override
        public List<Option> options() {
            return inner.options();
        }

        @Override
        public StructuredVectorField configure(int hidden, int controlChannels, StructureSpec spec) {
            return inner.configure(hidden, controlChannels, StructureSpec.of("block-diagonal", "block_size", "2"));
        }
    }

    @Test
    void forBackendRunsAnInstanceOnEveryStructureAndCountsOutcomes() {
        ConformanceReport r = ConformanceKit.forBackend(new FaultyBackend(Set.of(), Set.of(DType.FLOAT64)));
        Map<Outcome, Integer> counts = r.counts();
        assertThat(counts.get(Outcome.FAIL)).as(r.failureDetails()).isZero();
        assertThat(counts.get(Outcome.PASS)).isGreaterThan(50);
        assertThat(counts.get(Outcome.UNSUPPORTED)).isPositive();     // float32 is not declared
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(r.results().size());
    }

    @Test
    void aDeviceTheBackendDoesNotDeclareMakesItsCasesUnsupportedWhileTheOracleStaysOnTheCpu() {
        ConformanceKit.Builder b = ConformanceKit.builder()
                .backend(new FaultyBackend(Set.of(), Set.of(DType.FLOAT64)))
                .structure(new org.lincde.spi.structure.DiagonalStructure())
                .modelCases(List.of(LinearCdeCase.small()))
                .dtypes(List.of(DType.FLOAT64))
                .checks(EnumSet.of(Check.FORWARD, Check.GRADIENTS));
        ConformanceReport gpu = b.device(org.lincde.spi.Device.GPU).build().run();
        assertThat(gpu.results()).isNotEmpty();
        assertThat(gpu.results()).extracting(CaseResult::outcome).containsOnly(Outcome.UNSUPPORTED);
        assertThat(gpu.results().get(0).detail()).contains("declares devices [CPU], not GPU");
        // the same kit on the CPU runs the cases (the oracle's fixtures were built on the CPU either way)
        ConformanceReport cpu = b.device(org.lincde.spi.Device.CPU).build().run();
        assertThat(cpu.counts().get(Outcome.PASS)).as(cpu.failureDetails()).isPositive();
        assertThat(cpu.counts().get(Outcome.FAIL)).isZero();
    }

    @Test
    void forStructureOnAnUnregisteredInstanceRunsTheOpCasesAndSkipsModelCasesSayingWhy() {
        ConformanceReport r = ConformanceKit.forStructure(new UnregisteredStructure());
        assertThat(r.failures()).as(r.failureDetails()).isEmpty();
        assertThat(r.find("reference", "test.unregistered", Check.TRANSITION)).extracting(CaseResult::outcome)
                .contains(Outcome.PASS);
        assertThat(r.find("reference", "test.unregistered", Check.SCAN_BLOCKS)).extracting(CaseResult::outcome)
                .containsOnly(Outcome.PASS);
        CaseResult forward = r.find("reference", "test.unregistered", Check.FORWARD).stream()
                .filter(c -> c.dtype() == DType.FLOAT64).findFirst().orElseThrow();
        assertThat(forward.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(forward.detail()).contains("not registered for ServiceLoader").contains("@AutoService");
    }

    @Test
    void aKnownGapTurnsItsFailureIntoASkipWithTheReasonAndAStaleGapIsReported() {
        KnownGaps gaps = KnownGaps.parse("known-gaps-test.txt", String.join("\n",
                "# comment",
                "diagonal/lcde/gradients/float64 | tanh gradient sign (planted)",
                "diagonal/lcde/forward/* | not a gap: forward passes"));
        ConformanceReport r = ConformanceKit.builder()
                .backend(new FaultyBackend(EnumSet.of(PlantedFault.GRADIENT_SIGN_FLIP), Set.of(DType.FLOAT64)))
                .structure(new org.lincde.spi.structure.DiagonalStructure())
                .modelCases(List.of(LinearCdeCase.small()))
                .dtypes(List.of(DType.FLOAT64))
                .checks(EnumSet.of(Check.FORWARD, Check.GRADIENTS))
                .knownGaps(id -> gaps)
                .build().run();
        CaseResult grads = r.find("planted-gradient_sign_flip", "diagonal", Check.GRADIENTS).get(0);
        assertThat(grads.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(grads.detail()).startsWith("known gap (known-gaps-test.txt:2): tanh gradient sign (planted)");
        CaseResult forward = r.find("planted-gradient_sign_flip", "diagonal", Check.FORWARD).get(0);
        assertThat(forward.outcome()).isEqualTo(Outcome.PASS);
        assertThat(forward.detail()).contains("known-gaps-test.txt:3").contains("remove the line");
        assertThat(r.summary()).contains("known gaps of 'planted-gradient_sign_flip'")
                .contains("diagonal/lcde/gradients/float64 | tanh gradient sign (planted)");
        assertThat(r.passed()).isTrue();
    }

    @Test
    void knownGapFilesAreStrictAndCheckedInForTheBackends() {
        assertThatThrownBy(() -> KnownGaps.parse("known-gaps-x.txt", "\n\ndiagonal/lcde/forward/float32\n"))
                .hasMessageContaining("known-gaps-x.txt line 3: expected '<pattern> | <reason>'");
        assertThat(KnownGaps.parse("f", "dplr*/lcde/adamw-5/float3? | r").match("dplr(rank=2)/lcde/adamw-5/float32"))
                .isPresent();
        // the checked-in files parse, every gap gives a reason, and the oracle has none
        assertThat(KnownGaps.forBackend("reference").gaps()).isEmpty();
        for (String id : List.of("djl", "nd4j")) {
            assertThat(KnownGaps.forBackend(id).gaps()).as(id)
                    .allSatisfy(g -> assertThat(g.reason()).hasSizeGreaterThan(20));
        }
    }
}
