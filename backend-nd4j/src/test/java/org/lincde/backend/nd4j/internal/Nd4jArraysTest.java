package org.lincde.backend.nd4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lincde.backend.nd4j.Nd4jBackend;
import org.lincde.spi.DType;
import org.lincde.spi.SessionOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Nd4jArrays#contiguous} decides when the fused kernel and the host copy may read an array's
 * buffer directly: every kind of ND4J view must either be read correctly or be copied.
 */
class Nd4jArraysTest {
    @BeforeAll
    static void loadNd4j() {
        new Nd4jBackend().open(SessionOptions.of(DType.FLOAT32)).close();
    }

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Test
    void everyViewIsReadInRowMajorOrder() {
        INDArray x = Nd4j.create(iota(48), new long[] {6, 8}, DataType.FLOAT);
        INDArray y = Nd4j.create(iota(80), new long[] {2, 5, 8}, DataType.FLOAT);
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put("dense", x);
        views.put("reshape (an ND4J view over the whole buffer)", x.reshape('c', new long[] {2, 3, 8}));
        views.put("first rows", x.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()));
        views.put("middle rows", x.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()));
        views.put("one row", x.get(NDArrayIndex.point(3), NDArrayIndex.all()));
        views.put("columns", x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)));
        views.put("transpose", x.transpose());
        views.put("reshape of a transpose", x.transpose().reshape('c', new long[] {4, 12}));
        views.put("time step of (B, L, P)", y.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2), NDArrayIndex.all()));
        views.put("last batch", y.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all()));
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
            INDArray v = e.getValue();
            INDArray c = Nd4jArrays.contiguous(v);
            float[] direct = new float[(int) v.length()];
            c.data().asNioFloat().get(0, direct, 0, direct.length);
            float[] expected = new float[direct.length];
            for (int i = 0; i < expected.length; i++) {
                long[] idx = org.nd4j.linalg.api.shape.Shape.ind2subC(v.shape(), i);
                expected[i] = v.getFloat(idx);
            }
            assertThat(direct).as(e.getKey()).containsExactly(expected);
            assertThat(Nd4jArrays.toDoubles(v)).as(e.getKey()).hasSize(expected.length);
        }
        assertThat(Nd4jArrays.contiguous(views.get("reshape (an ND4J view over the whole buffer)")))
                .as("no copy of a reshaped dense array").isSameAs(views.get("reshape (an ND4J view over the whole buffer)"));
    }
}
