package org.lincde.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.ParameterLookup;
import org.lincde.spi.Rng;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.TensorOps;
import org.lincde.spi.model.StackedLinearCde;

/**
 * The one stacked-LCDE forward with a backend's hooks (SPEC §1.2), on the float64 oracle: gathering
 * block 0's coefficients from the embedding table's ({@code LinearCdeLayer.forwardFromTable}) gives the
 * plain forward's outputs and gradients, and the hooks are called where they should be.
 */
class ForwardHooksTest {
    private static Session session;
    private static final StructureRegistry REGISTRY = StructureRegistry.discover();

    @BeforeAll
    static void open() {
        session = Fixtures.session();
    }

    @AfterAll
    static void close() {
        session.close();
    }

    static List<StructureSpec> structures() {
        return Fixtures.ALL_STRUCTURES;
    }

    /** Records where it is called; gathers block 0 from the table. */
    private static final class Recording implements StackedLinearCde.ForwardHooks {
        final List<String> calls = new ArrayList<>();

        @Override
        public <T> T blockInput(TensorOps<T> ops, int block, T x) {
            calls.add("input " + block);
            return x;
        }

        @Override
        public <T> T dropout(TensorOps<T> ops, T z, double rate, Rng stream) {
            calls.add("dropout " + rate);
            return StackedLinearCde.ForwardHooks.super.dropout(ops, z, rate, stream);
        }

        @Override
        public boolean gatherFirstLayer() {
            return true;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structures")
    void theTableGatherAndTheHooksChangeNoValue(StructureSpec s) {
        LinearCdeSpec spec = Fixtures.smallSpec(s, 4, 3).withDropout(0.25);
        StackedLinearCde graph = new StackedLinearCde(spec, REGISTRY);
        Map<String, HostTensor> params = graph.initialize(Rng.seeded(4)).asMap();
        Batch batch = Fixtures.tokenBatch(Rng.seeded(5), 3, 6, 5, 4);
        ForwardMode training = ForwardMode.training(Rng.seeded(6));
        Recording hooks = new Recording();
        // the conditions of the gather: a row-wise coefficient map, recurrent evaluation
        assertThat(graph.layer(0).field().rowWiseCoefficients()).isTrue();
        assertThat(training.evaluation()).isEqualTo(ForwardMode.Evaluation.RECURRENT);
        Session.GradientResult plain = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return graph.forward(ops, p, batch, training);
            }
        }, params);
        Session.GradientResult hooked = session.gradient(new Session.OpsFunction() {
            @Override
            public <T> T apply(TensorOps<T> ops, ParameterLookup<T> p) {
                return graph.withHooks(hooks).forward(ops, p, batch, training);
            }
        }, params);
        assertThat(hooks.calls).containsExactly("dropout 0.25", "input 1", "dropout 0.25", "input 2", "dropout 0.25");
        assertThat(maxAbsDiff(hooked.value(), plain.value())).isLessThan(1e-13);
        for (String name : params.keySet()) {
            assertThat(maxAbsDiff(hooked.gradients().get(name), plain.gradients().get(name))).as(name).isLessThan(1e-12);
        }
    }

    private static double maxAbsDiff(HostTensor a, HostTensor b) {
        assertThat(a.shape()).containsExactly(b.shape());
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
