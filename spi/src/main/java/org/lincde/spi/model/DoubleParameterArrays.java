package org.lincde.spi.model;

import org.lincde.spi.ElementType;
import org.lincde.spi.HostTensor;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.ParameterShape;

/** {@link ParameterArrays#doubles}: Java arrays, rounded to float32 after every write when asked. */
final class DoubleParameterArrays implements ParameterArrays<double[]> {
    private final boolean float32;

    DoubleParameterArrays(boolean float32) {
        this.float32 = float32;
    }

    @Override
    public double[] store(ParameterShape shape, HostTensor value) {
        double[] v = value.data().clone();
        round(v);
        return v;
    }

    @Override
    public ElementType storedType(ParameterShape shape, HostTensor value) {
        return float32 && value.type() == ElementType.FLOAT64 ? ElementType.FLOAT32 : value.type();
    }

    @Override
    public HostTensor toHost(double[] a, int[] shape, ElementType type) {
        return HostTensor.of(type, a.clone(), shape);
    }

    @Override
    public double[] zerosLike(double[] like) {
        return new double[like.length];
    }

    @Override
    public double[] momentLike(double[] like) {
        return new double[like.length];
    }

    @Override
    public double[] mask(double[] gradient, double[] mask) {
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= mask[i];
        }
        return gradient;
    }

    @Override
    public boolean allFinite(double[] gradient) {
        for (double g : gradient) {
            if (!Double.isFinite(g)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void adamW(OptimizerSpec.AdamW spec, double[] w, double[] g, double[] m, double[] v, long step, double lr,
                      double decay) {
        AdamWUpdate.apply(spec, w, g, m, v, step, lr, decay);
        round(w);
        round(m);
        round(v);
    }

    private void round(double[] a) {
        if (float32) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) a[i];
            }
        }
    }
}
