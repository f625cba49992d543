// libjpeg-turbo's TurboJPEG API: errors are return codes (no setjmp/longjmp as in libjpeg's).
#include <turbojpeg.h>
