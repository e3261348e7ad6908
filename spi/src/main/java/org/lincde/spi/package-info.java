/**
 * The contracts every part of lincde shares (docs/ARCHITECTURE.md): the {@link org.lincde.spi.Backend}
 * service and its {@link org.lincde.spi.Session}, the sealed {@link org.lincde.spi.ModelSpec} family, the
 * {@link org.lincde.spi.Structure} plugin point, the differentiable op algebra
 * {@link org.lincde.spi.TensorOps} that models are written once against, named parameters
 * ({@link org.lincde.spi.ParameterSet}, keys as the authors' state dicts), batches, losses, optimiser and
 * schedule specs, and the counter-based {@link org.lincde.spi.Rng} from which all initialisation and data
 * come. Depends on the JDK only.
 */
package org.lincde.spi;
