package cebm.tensor.cpu.reference;

import cebm.tensor.Conv2dGeometry;

/**
 * Direct convolution, the definition written out as seven nested loops over
 * (n, f, oy, ox, c, i, j) and summed in double: the reference for the fast paths of
 * {@code cebm.tensor.cpu.conv} and the CUDA kernels.
 * All arrays are dense NCHW; x[n, c, iy, ix] with iy = oy·s − pad + i, ix = ox·s − pad + j
 * is zero outside the image.
 */
final class ReferenceConv2d {
    private ReferenceConv2d() {}

    /** z[n,f,oy,ox] = b[f] + Σ_{c,i,j} w[f,c,i,j]·x[n,c,iy,ix]. */
    static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z) {
        int oh = g.outHeight(), ow = g.outWidth();
        for (int n = 0; n < g.batch(); n++) {
            for (int f = 0; f < g.outChannels(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias == null ? 0 : bias[f];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.stride() - g.padding() + i, ix = ox * g.stride() - g.padding() + j;
                                    if (inside(g, iy, ix)) sum += (double) w[wIndex(g, f, c, i, j)] * x[xIndex(g, n, c, iy, ix)];
                                }
                            }
                        }
                        z[zIndex(g, n, f, oy, ox)] = (float) sum;
                    }
                }
            }
        }
    }

    /** dx[n,c,iy,ix] = Σ over every (f, oy, ox, i, j) that read x[n,c,iy,ix] of w[f,c,i,j]·dz[n,f,oy,ox]. */
    static void inputGrad(Conv2dGeometry g, float[] gradOut, float[] w, float[] gradIn) {
        double[] dx = new double[g.batch() * g.inChannels() * g.height() * g.width()];
        for (int n = 0; n < g.batch(); n++) {
            for (int f = 0; f < g.outChannels(); f++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        double dz = gradOut[zIndex(g, n, f, oy, ox)];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.stride() - g.padding() + i, ix = ox * g.stride() - g.padding() + j;
                                    if (inside(g, iy, ix)) dx[xIndex(g, n, c, iy, ix)] += w[wIndex(g, f, c, i, j)] * dz;
                                }
                            }
                        }
                    }
                }
            }
        }
        toFloat(dx, gradIn);
    }

    /** dw[f,c,i,j] = Σ_{n,oy,ox} dz[n,f,oy,ox]·x[n,c,iy,ix]. */
    static void weightGrad(Conv2dGeometry g, float[] gradOut, float[] x, float[] gradW) {
        double[] dw = new double[g.outChannels() * g.inChannels() * g.kernelH() * g.kernelW()];
        for (int n = 0; n < g.batch(); n++) {
            for (int f = 0; f < g.outChannels(); f++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        double dz = gradOut[zIndex(g, n, f, oy, ox)];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int i = 0; i < g.kernelH(); i++) {
                                for (int j = 0; j < g.kernelW(); j++) {
                                    int iy = oy * g.stride() - g.padding() + i, ix = ox * g.stride() - g.padding() + j;
                                    if (inside(g, iy, ix)) dw[wIndex(g, f, c, i, j)] += dz * x[xIndex(g, n, c, iy, ix)];
                                }
                            }
                        }
                    }
                }
            }
        }
        toFloat(dw, gradW);
    }

    private static boolean inside(Conv2dGeometry g, int iy, int ix) {
        return iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
    }

    private static int xIndex(Conv2dGeometry g, int n, int c, int iy, int ix) {
        return ((n * g.inChannels() + c) * g.height() + iy) * g.width() + ix;
    }

    private static int wIndex(Conv2dGeometry g, int f, int c, int i, int j) {
        return ((f * g.inChannels() + c) * g.kernelH() + i) * g.kernelW() + j;
    }

    private static int zIndex(Conv2dGeometry g, int n, int f, int oy, int ox) {
        return ((n * g.outChannels() + f) * g.outHeight() + oy) * g.outWidth() + ox;
    }

    private static void toFloat(double[] a, float[] out) {
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
    }
}
