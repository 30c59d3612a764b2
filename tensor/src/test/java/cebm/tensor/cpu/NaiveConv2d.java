package cebm.tensor.cpu;

import cebm.tensor.Conv2dGeometry;

/**
 * Direct convolution, the definition written out as seven nested loops over
 * (n, f, oy, ox, c, i, j) and summed in double: the yardstick for {@link Conv2dCpu}.
 * All arrays are dense NCHW; x[n, c, iy, ix] with iy = oy·s − pad + i, ix = ox·s − pad + j
 * is zero outside the image.
 */
final class NaiveConv2d {
    private NaiveConv2d() {}

    /** z[n,f,oy,ox] = b[f] + Σ_{c,i,j} w[f,c,i,j]·x[n,c,iy,ix]. */
    static float[] forward(Conv2dGeometry g, float[] x, float[] w, float[] bias) {
        int oh = g.outHeight(), ow = g.outWidth();
        float[] z = new float[g.batch() * g.outChannels() * oh * ow];
        for (int n = 0; n < g.batch(); n++) {
            for (int f = 0; f < g.outChannels(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias[f];
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
        return z;
    }

    /** dx[n,c,iy,ix] = Σ over every (f, oy, ox, i, j) that read x[n,c,iy,ix] of w[f,c,i,j]·dz[n,f,oy,ox]. */
    static float[] inputGrad(Conv2dGeometry g, float[] gradOut, float[] w) {
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
        return toFloat(dx);
    }

    /** dw[f,c,i,j] = Σ_{n,oy,ox} dz[n,f,oy,ox]·x[n,c,iy,ix]. */
    static float[] weightGrad(Conv2dGeometry g, float[] gradOut, float[] x) {
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
        return toFloat(dw);
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

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        return out;
    }
}
