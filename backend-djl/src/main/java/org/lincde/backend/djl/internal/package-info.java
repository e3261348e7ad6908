/**
 * Engine glue of the DJL backend (docs/STYLE.md D6), not API: property set-up before DJL loads, engine loading
 * and JNI access, the {@code TensorOps} implementation over {@code NDArray}s, the fused recurrence over
 * primitive arrays, its threads and reusable arrays. Its types are public only so that
 * {@code org.lincde.backend.djl} can use them; no other module imports this package, and it imports
 * nothing from {@code org.lincde.backend.djl}.
 */
package org.lincde.backend.djl.internal;
