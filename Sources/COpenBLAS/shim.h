#ifndef CEPHALOFORGE_COPENBLAS_H
#define CEPHALOFORGE_COPENBLAS_H

/* LAPACK's singular value decomposition (OpenBLAS ships LAPACK without lapacke.h).
   Fortran calling convention: every argument by pointer, matrices column-major. */
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt, double *work,
             const int *lwork, int *info);

#endif
