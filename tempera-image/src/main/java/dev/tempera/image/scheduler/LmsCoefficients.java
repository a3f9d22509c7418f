package dev.tempera.image.scheduler;

/**
 * The linear multistep coefficients of diffusers' {@code LMSDiscreteScheduler.get_lms_coefficient}: the integral,
 * over [sigma_t, sigma_{t+1}], of the Lagrange basis polynomial through the last {@code order} sigmas.
 *
 * <p>diffusers integrates with {@code scipy.integrate.quad(..., epsrel=1e-4)}, and its integrand multiplies 0-dim
 * float32 tensors, so each evaluation is rounded to float32 (tau too, before the subtraction). For a polynomial of
 * degree at most 3, QUADPACK's first 21-point Gauss-Kronrod estimate already meets the tolerance and is returned.
 * This class evaluates the same 21 points in the same order as QUADPACK's {@code dqk21} and sums in double, which
 * reproduces scipy's value bit for bit.
 */
final class LmsCoefficients {

    // Abscissae and weights of the 21-point Kronrod rule on [-1, 1] (positive half; the last is the centre).
    private static final double[] XGK = {
        0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
        0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
        0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
        0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
        0.294392862701460198131126603103866, 0.148874338981631210884826001129720,
        0.0};
    private static final double[] WGK = {
        0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
        0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
        0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
        0.123491976262065851077958109831074, 0.134709217311473325928054001771707,
        0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
        0.149445554002916905664936468389821};

    private LmsCoefficients() {
    }

    /**
     * {@code get_lms_coefficient(order, t, currentOrder)}: the weight of the derivative from {@code currentOrder}
     * steps back, for the step from {@code sigmas[t]} to {@code sigmas[t + 1]}.
     */
    static double coefficient(float[] sigmas, int order, int t, int currentOrder) {
        double a = sigmas[t];
        double b = sigmas[t + 1];
        double centre = 0.5 * (a + b);
        double half = 0.5 * (b - a);
        double sum = WGK[10] * basis(sigmas, order, t, currentOrder, centre);
        for (int j = 1; j <= 5; j++) { // the Gauss points first, as dqk21 does
            double x = half * XGK[2 * j - 1];
            sum += WGK[2 * j - 1] * (basis(sigmas, order, t, currentOrder, centre - x)
                    + basis(sigmas, order, t, currentOrder, centre + x));
        }
        for (int j = 1; j <= 5; j++) {
            double x = half * XGK[2 * j - 2];
            sum += WGK[2 * j - 2] * (basis(sigmas, order, t, currentOrder, centre - x)
                    + basis(sigmas, order, t, currentOrder, centre + x));
        }
        return sum * half;
    }

    /** The Lagrange basis polynomial at {@code tau}, in float32 as the tensor arithmetic does. */
    private static double basis(float[] sigmas, int order, int t, int currentOrder, double tau) {
        float x = (float) tau;
        float product = 1f;
        for (int k = 0; k < order; k++) {
            if (k == currentOrder) {
                continue;
            }
            product *= (x - sigmas[t - k]) / (sigmas[t - currentOrder] - sigmas[t - k]);
        }
        return product;
    }
}
