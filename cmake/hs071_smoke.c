/* Solves Hock-Schittkowski 71 through Ipopt's C interface and checks the known optimum.
 * min x0*x3*(x0+x1+x2) + x2  s.t.  x0*x1*x2*x3 >= 25,  sum xi^2 = 40,  1 <= xi <= 5.
 * Exit code 0 when the objective is 17.014017 (1e-6) and x matches (1e-5). */
#include <math.h>
#include <stdio.h>
#include <coin/IpStdCInterface.h>

static Bool objective(Index n, Number *x, Bool new_x, Number *f, UserDataPtr data)
{
    (void)n; (void)new_x; (void)data;
    *f = x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2];
    return TRUE;
}

static Bool gradient(Index n, Number *x, Bool new_x, Number *g, UserDataPtr data)
{
    (void)n; (void)new_x; (void)data;
    g[0] = x[3] * (2 * x[0] + x[1] + x[2]);
    g[1] = x[0] * x[3];
    g[2] = x[0] * x[3] + 1;
    g[3] = x[0] * (x[0] + x[1] + x[2]);
    return TRUE;
}

static Bool constraints(Index n, Number *x, Bool new_x, Index m, Number *g, UserDataPtr data)
{
    (void)n; (void)new_x; (void)m; (void)data;
    g[0] = x[0] * x[1] * x[2] * x[3];
    g[1] = x[0] * x[0] + x[1] * x[1] + x[2] * x[2] + x[3] * x[3];
    return TRUE;
}

static Bool jacobian(Index n, Number *x, Bool new_x, Index m, Index nnz, Index *rows, Index *cols,
                     Number *values, UserDataPtr data)
{
    (void)n; (void)new_x; (void)m; (void)nnz; (void)data;
    if (values == NULL) {
        for (int k = 0; k < 8; k++) { rows[k] = k / 4; cols[k] = k % 4; }
        return TRUE;
    }
    values[0] = x[1] * x[2] * x[3];
    values[1] = x[0] * x[2] * x[3];
    values[2] = x[0] * x[1] * x[3];
    values[3] = x[0] * x[1] * x[2];
    for (int i = 0; i < 4; i++) values[4 + i] = 2 * x[i];
    return TRUE;
}

static Bool hessian(Index n, Number *x, Bool new_x, Number s, Index m, Number *l, Bool new_l,
                    Index nnz, Index *rows, Index *cols, Number *v, UserDataPtr data)
{
    (void)n; (void)new_x; (void)m; (void)new_l; (void)nnz; (void)data;
    if (v == NULL) {
        int k = 0;
        for (int r = 0; r < 4; r++)
            for (int c = 0; c <= r; c++) { rows[k] = r; cols[k] = c; k++; }
        return TRUE;
    }
    v[0] = s * 2 * x[3] + 2 * l[1];
    v[1] = s * x[3] + l[0] * x[2] * x[3];
    v[2] = 2 * l[1];
    v[3] = s * x[3] + l[0] * x[1] * x[3];
    v[4] = l[0] * x[0] * x[3];
    v[5] = 2 * l[1];
    v[6] = s * (2 * x[0] + x[1] + x[2]) + l[0] * x[1] * x[2];
    v[7] = s * x[0] + l[0] * x[0] * x[2];
    v[8] = s * x[0] + l[0] * x[0] * x[1];
    v[9] = 2 * l[1];
    return TRUE;
}

int main(void)
{
    Number xl[4] = {1, 1, 1, 1}, xu[4] = {5, 5, 5, 5};
    Number gl[2] = {25, 40}, gu[2] = {2e19, 40};
    Number x[4] = {1, 5, 5, 1}, f = 0;
    const Number expected[4] = {1.0, 4.742999, 3.821151, 1.379408};

    IpoptProblem problem = CreateIpoptProblem(4, xl, xu, 2, gl, gu, 8, 10, 0,
                                              objective, constraints, gradient, jacobian, hessian);
    if (problem == NULL) { fprintf(stderr, "CreateIpoptProblem failed\n"); return 2; }
    AddIpoptNumOption(problem, "tol", 1e-8);
    AddIpoptIntOption(problem, "print_level", 0);
    AddIpoptStrOption(problem, "sb", "yes");
    enum ApplicationReturnStatus status = IpoptSolve(problem, x, NULL, &f, NULL, NULL, NULL, NULL);
    FreeIpoptProblem(problem);

    int ok = status == Solve_Succeeded && fabs(f - 17.014017) < 1e-6;
    for (int i = 0; i < 4; i++) ok = ok && fabs(x[i] - expected[i]) < 1e-5;
    printf("HS071 via Ipopt's C interface: status %d, f = %.9f, x = (%.6f, %.6f, %.6f, %.6f): %s\n",
           (int)status, f, x[0], x[1], x[2], x[3], ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
