// OpenBLAS's CBLAS interface plus its thread and kernel controls.
#include <cblas.h>
