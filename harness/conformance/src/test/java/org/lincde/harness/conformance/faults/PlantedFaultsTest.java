package org.lincde.harness.conformance.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lincde.harness.conformance.CaseResult;
import org.lincde.harness.conformance.Check;
import org.lincde.harness.conformance.ConformanceKit;
import org.lincde.harness.conformance.ConformanceReport;
import org.lincde.harness.conformance.KnownGaps;
import org.lincde.harness.conformance.LinearCdeCase;
import org.lincde.harness.conformance.Outcome;
import org.lincde.spi.DType;
import org.lincde.spi.Structure;
import org.lincde.spi.StructureRegistry;

/**
 * The kit fails when it should (docs/STYLE.md §7): each planted fault of {@link FaultyBackend} is flagged by
 * the case that is meant to catch it, and the unfaulted backend (float64 and emulated float32, fused and
 * generic paths) passes every case.
 */
class PlantedFaultsTest {
    private static final StructureRegistry STRUCTURES = StructureRegistry.discover();

    private static ConformanceReport run(Set<PlantedFault> faults, Set<DType> dtypes, List<String> structures) {
        // the faulty backend re-implements the stacked Linear CDE's training path only: its cases
        ConformanceKit.Builder b = ConformanceKit.builder()
                .backend(new FaultyBackend(faults, dtypes))
                .modelCases(List.of(LinearCdeCase.small()))
                .knownGaps(id -> KnownGaps.none())
                .requireAvailable(true);
        for (String id : structures) {
            b.structure(STRUCTURES.get(id));
        }
        return b.build().run();
    }

    /** The structures whose code paths each fault lives in. */
    private static List<String> structuresFor(PlantedFault f) {
        switch (f) {
            case IGNORES_GRADIENT_MASK: return List.of("sparse");
            case TRANSPOSED_BLOCK: return List.of("block-diagonal");
            case SCAN_OFF_BY_ONE: return List.of("diagonal", "block-diagonal");
            case MATMUL_DRIFT: return List.of("diagonal", "block-diagonal");
            case UNDECLARED_UNSUPPORTED_OP: return List.of("walsh-hadamard");
            default: return List.of("diagonal", "walsh-hadamard");
        }
    }

    /** The cases that must flag each fault. */
    private static Set<Check> mustFail(PlantedFault f) {
        switch (f) {
            case GRADIENT_SIGN_FLIP: return EnumSet.of(Check.GRADIENTS, Check.ADAMW, Check.TRANSITION_GRADIENTS);
            case SCAN_OFF_BY_ONE: return EnumSet.of(Check.RECURRENT_VS_SCAN);
            case FLOAT32_ROUNDING: return EnumSet.of(Check.FORWARD, Check.GRADIENTS, Check.TRANSITION);
            case IGNORES_GRADIENT_MASK: return EnumSet.of(Check.GRADIENTS, Check.MASK_ZEROS, Check.ADAMW);
            case TRANSPOSED_BLOCK: return EnumSet.of(Check.FORWARD, Check.FUSED_VS_GENERIC);
            case MATMUL_DRIFT: return EnumSet.of(Check.FORWARD, Check.GRADIENTS);
            case UNDECLARED_UNSUPPORTED_OP: return EnumSet.of(Check.HADAMARD, Check.TRANSITION, Check.FORWARD);
            default: throw new IllegalArgumentException(f.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PlantedFault.class)
    void everyPlantedFaultIsFlaggedByTheCaseMeantToCatchIt(PlantedFault fault) {
        ConformanceReport report = run(EnumSet.of(fault), Set.of(DType.FLOAT64), structuresFor(fault));
        Set<Check> failed = report.failures().stream().map(CaseResult::check).collect(Collectors.toSet());
        assertThat(failed).as("checks that failed under %s:%n%s", fault, report.toMarkdown(true))
                .containsAll(mustFail(fault));
        for (CaseResult r : report.failures()) {
            // a failure names its case and says what was wrong: a tensor beyond tolerance or the error
            assertThat(r.key()).contains(r.check().id());
            assertThat(r.worst() != null && !r.worst().passed() || !r.detail().isBlank()).isTrue();
        }
        assertThat(report.toMarkdown(true)).contains("FAIL");
    }

    @Test
    void faultsAreCaughtWhereTheyLiveAndNowhereElse() {
        // the scan fault leaves the recurrent path, the gradients and the op face alone
        ConformanceReport scan = run(EnumSet.of(PlantedFault.SCAN_OFF_BY_ONE), Set.of(DType.FLOAT64), List.of("diagonal"));
        assertThat(scan.failures()).extracting(CaseResult::check).containsOnly(Check.RECURRENT_VS_SCAN);
        CaseResult r = scan.failures().get(0);
        assertThat(r.worst().tensor()).startsWith("scan ");
        // the transposed block lives in the fused kernel: the generic path and the op face stay right
        ConformanceReport block = run(EnumSet.of(PlantedFault.TRANSPOSED_BLOCK), Set.of(DType.FLOAT64),
                List.of("block-diagonal"));
        assertThat(block.find("planted-transposed_block", "block-diagonal", Check.TRANSITION))
                .filteredOn(c -> c.dtype() == DType.FLOAT64).extracting(CaseResult::outcome).containsOnly(Outcome.PASS);
        CaseResult fused = block.find("planted-transposed_block", "block-diagonal", Check.FUSED_VS_GENERIC).get(0);
        assertThat(fused.worst().tensor()).startsWith("generic");
        assertThat(fused.comparisons()).filteredOn(c -> c.tensor().equals("generic logits"))
                .singleElement().matches(c -> !c.passed());
        // an undeclared UnsupportedOperationException is a FAIL that says so, not UNSUPPORTED
        ConformanceReport unsupported = run(EnumSet.of(PlantedFault.UNDECLARED_UNSUPPORTED_OP), Set.of(DType.FLOAT64),
                List.of("walsh-hadamard"));
        assertThat(unsupported.find("planted-undeclared_unsupported_op", "walsh-hadamard", Check.HADAMARD).get(0).detail())
                .contains("undeclared UnsupportedOperationException");
        assertThat(unsupported.results()).filteredOn(c -> c.dtype() == DType.FLOAT64)
                .noneMatch(c -> c.outcome() == Outcome.UNSUPPORTED);
    }

    @Test
    void theUnfaultedBackendPassesEveryCaseInBothDtypesOnBothPaths() {
        List<String> all = STRUCTURES.all().stream().map(Structure::id).toList();
        ConformanceReport report = run(Set.of(), Set.of(DType.FLOAT64, DType.FLOAT32), all);
        System.out.println(report.toMarkdown(true));
        assertThat(report.failures()).as("%s", report.failureDetails()).isEmpty();
        // fused kernels were declared, so fused-vs-generic ran (and passed) for every structure and dtype
        assertThat(report.results().stream().filter(c -> c.check() == Check.FUSED_VS_GENERIC))
                .isNotEmpty().allMatch(c -> c.outcome() == Outcome.PASS);
        assertThat(report.results().stream().filter(c -> c.dtype() == DType.FLOAT32 && c.check() == Check.ADAMW))
                .isNotEmpty().allMatch(c -> c.outcome() == Outcome.PASS);
        assertThat(report.counts().get(Outcome.SKIP)).isZero();
    }

    @Test
    void anUndeclaredDtypeIsUnsupportedNotFailed() {
        ConformanceReport report = run(Set.of(), Set.of(DType.FLOAT64), List.of("diagonal"));
        assertThat(report.results().stream().filter(c -> c.dtype() == DType.FLOAT32))
                .isNotEmpty().allMatch(c -> c.outcome() == Outcome.UNSUPPORTED && c.detail().contains("declares dtypes"));
        assertThat(report.passed()).isTrue();
    }
}
