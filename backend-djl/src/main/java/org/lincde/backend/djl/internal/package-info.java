/**
 * Engine glue of the DJL backend (docs/STYLE.md D6): property set-up before DJL loads, engine loading and
 * JNI access, the fused step kernels over primitive arrays, their threads and reusable arrays. No
 * other module imports this package.
 */
package org.lincde.backend.djl.internal;
