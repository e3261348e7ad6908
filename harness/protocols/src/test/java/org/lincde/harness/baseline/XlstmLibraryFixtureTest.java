package org.lincde.harness.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lincde.spi.Batch;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.HostTensor;
import org.lincde.spi.LossSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.ParameterSet;
import org.lincde.spi.SequenceIo;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.XlstmSpec;
import org.lincde.spi.testing.WithReferenceOracle;

/**
 * The xLSTM graph on the float64 oracle against NX-AI's own library: logits, loss and every gradient of R1's
 * {@code models/xlstm.py} model at a tiny size, computed by {@code xlstm} 2.0.5 in float64 and stored by
 * {@code fixtures/xlstm/make_fixtures.py} (random parameters off their initial values, large mLSTM input gates so
 * the stabiliser's ε term counts; the sLSTM weights are read in the CUDA backend's layout R1's checkpoints hold).
 * The library trains the mLSTM in its parallel form; the recurrent form must give the same numbers.
 */
class XlstmLibraryFixtureTest extends WithReferenceOracle {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xlstm11", "mlstm", "slstm"})
    void logitsLossAndGradientsMatchTheLibrary(String name) throws IOException {
        JsonNode f = load(name);
        for (XlstmSpec.Form form : XlstmSpec.Form.values()) {
            XlstmSpec spec = spec(f).withForm(form);
            ParameterSet params = new ParameterSet();
            f.get("params").fields().forEachRemaining(e -> params.put(e.getKey(),
                    HostTensor.of(doubles(e.getValue().get("data")), ints(e.getValue().get("shape")))));
            Batch batch = batch(f);
            try (SequenceModel m = reference.model(spec, params)) {
                HostTensor logits = m.forward(batch, ForwardMode.inference());
                assertClose(name + " " + form + " logits", logits.data(), doubles(f.get("logits")), 1e-11);
                SequenceModel.LossReport r = m.lossAndGradients(List.of(batch),
                        new Objective(new LossSpec.CrossEntropy(0.0), 0.0), ForwardMode.inference());
                assertThat(r.loss()).as(name + " loss").isCloseTo(f.get("loss").asDouble(),
                        org.assertj.core.data.Offset.offset(1e-12));
                f.get("grads").fields().forEachRemaining(e -> assertClose(name + " " + form + " grad " + e.getKey(),
                        r.gradients().get(e.getKey()).data(), doubles(e.getValue()), 1e-10));
                assertThat(r.gradients().names()).as("every parameter has a gradient")
                        .containsExactlyInAnyOrderElementsOf(iterable(f.get("grads").fieldNames()));
            }
        }
    }

    /** The fixture's configuration: R1's blocks with the inner widths rounded to multiples of 8 instead of 64. */
    private static XlstmSpec spec(JsonNode f) {
        List<Integer> at = new ArrayList<>();
        f.get("slstm_at").forEach(n -> at.add(n.asInt()));
        return new XlstmSpec(SequenceIo.tokens(f.get("vocab").asInt(), f.get("labels").asInt()), f.get("dim").asInt(),
                f.get("num_blocks").asInt(), at, f.get("length").asInt(), 0.0,
                new XlstmSpec.Mlstm(4, 4, 4, 2.0, 8, XlstmSpec.Form.PARALLEL), new XlstmSpec.Slstm(4, 4),
                new XlstmSpec.FeedForward(1.3, 8));
    }

    private static Batch batch(JsonNode f) {
        int b = f.get("batch").asInt();
        int len = f.get("length").asInt();
        boolean[] mask = new boolean[b * len];
        java.util.Arrays.fill(mask, true);
        return Batch.of(new Batch.TokenInputs(b, len, 1, ints(f.get("tokens"))),
                new Batch.TokenTargets(ints(f.get("targets")), mask));
    }

    private static void assertClose(String what, double[] actual, double[] expected, double tol) {
        assertThat(actual).as(what + " size").hasSize(expected.length);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs library %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol * Math.max(1.0, scale));
        }
    }

    private static JsonNode load(String name) throws IOException {
        try (InputStream in = XlstmLibraryFixtureTest.class.getResourceAsStream("/fixtures/xlstm/" + name + ".json")) {
            assertThat(in).as("fixture " + name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static <E> Iterable<E> iterable(java.util.Iterator<E> it) {
        List<E> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
