/**
 * Float64 path signatures (SPEC §3.3) and depth-1/2 Hall-basis log-signatures with Lévy areas
 * (SPEC §3.5 item 4) of piecewise-linear paths: {@link org.lincde.harness.signature.Signature}
 * (Chen's identity, truncated tensor algebra, levels as flat arrays in lexicographic word order)
 * and {@link org.lincde.harness.signature.LogSignature}.
 */
package org.lincde.harness.signature;
