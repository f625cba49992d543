// OpenBLAS's CBLAS interface plus its thread and kernel controls.
#include <stddef.h>
#include <cblas.h>

// LAPACK's symmetric eigen-decomposition (Fortran entry point inside libopenblas; Debian's
// OpenBLAS ships no LAPACKE). gfortran passes the lengths of character arguments as trailing
// hidden size_t arguments, declared here so every argument is passed as the callee expects.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info, size_t jobz_length, size_t uplo_length);
