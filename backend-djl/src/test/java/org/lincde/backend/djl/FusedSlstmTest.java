package org.lincde.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.model.Models;

/**
 * The sLSTM cell's fused recurrence ({@code FusedSlstm}, {@code TensorOps.fusedSlstm}) inside R1's xLSTM model
 * against the generic step loop, float64 (and float32 against the float64 loop): the loss and the gradient of
 * every parameter, the recurrent kernel and the biases included, with the parameters moved off their zero
 * initialisation (the recurrent kernel starts at 0) so every path carries gradient; sLSTM in every block and
 * xLSTM[1:1]. Two threads give the same bits as one. The kernel is opt-in ({@code -Dlincde.djl.fusedSlstm=always},
 * which this module's tests set in pom.xml; the conformance kit runs the default, which declines it).
 */
class FusedSlstmTest {
    private static ParameterSet perturbed(XlstmSpec spec) {
        ParameterSet p0 = Models.initialize(spec, StructureRegistry.discover(), Rng.seeded(9));
        ParameterSet p = new ParameterSet();
        Rng r = Rng.seeded(12);
        for (String n : p0.names()) {
            HostTensor t = p0.get(n);
            double[] v = t.data().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.3 * r.nextNormal();
            }
            p.put(n, HostTensor.of(v, t.shape()));
        }
        return p;
    }

    @ParameterizedTest(name = "slstm_at={0} {1}")
    @CsvSource({"'0,1',FLOAT64,1e-11", "'1',FLOAT64,1e-11", "'0,1',FLOAT32,1e-4"})
    void fusedEqualsTheGenericLoop(String at, DType dtype, double tol) {
        List<Integer> slstmAt = java.util.Arrays.stream(at.split(",")).map(Integer::valueOf).toList();
        XlstmSpec spec = new XlstmSpec(SequenceIo.tokens(5, 4), 16, 2, slstmAt, 32, 0.0,
                new XlstmSpec.Mlstm(2, 3, 2, 2.0, 4, XlstmSpec.Form.PARALLEL), new XlstmSpec.Slstm(4, 3),
                new XlstmSpec.FeedForward(1.3, 4));
        ParameterSet p = perturbed(spec);
        Batch batch = DjlFixtures.tokenBatch(Rng.seeded(10), 3, 11, 5, 4);
        Objective ce = Objective.maskedCrossEntropy(0.0);
        try (Session fused = DjlFixtures.session(dtype, true);
             Session fused2 = DjlFixtures.session(dtype, true, 2);
             Session generic = DjlFixtures.session(DType.FLOAT64, false);
             SequenceModel f = fused.model(spec, p);
             SequenceModel f2 = fused2.model(spec, p);
             SequenceModel g = generic.model(spec, p)) {
            SequenceModel.LossReport rf = f.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            SequenceModel.LossReport rg = g.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            assertThat(Math.abs(rf.loss() - rg.loss())).as("loss").isLessThanOrEqualTo(tol);
            for (String n : rg.gradients().names()) {
                assertThat(DjlFixtures.maxRelError(rf.gradients().get(n), rg.gradients().get(n))).as("d/d%s", n)
                        .isLessThanOrEqualTo(tol);
            }
            assertThat(rg.gradients().get("xlstm.blocks.1.xlstm.slstm_cell._recurrent_kernel_").data())
                    .as("the recurrent kernel gets a gradient").isNotEqualTo(new double[4 * 4 * 16]);
            SequenceModel.LossReport r2 = f2.lossAndGradients(List.of(batch), ce, ForwardMode.inference());
            assertThat(r2.loss()).isEqualTo(rf.loss());
            for (String n : rf.gradients().names()) {
                assertThat(r2.gradients().get(n).data()).as("2 threads d/d%s", n)
                        .containsExactly(rf.gradients().get(n).data());
            }
        }
    }
}
