// any() takes at most 32 options.
// EXPECT: vial: bad converter arguments in route: any\(\) takes at most 32 options
#include <vial/route.hpp>

#include <string>
#include <string_view>

std::string show_tag(std::string_view tag);

#ifdef VIAL_CONTROL
constexpr auto tag = vial::get<"/tag/<any(a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,bb,cc,dd,ee,ff):tag>">(show_tag);
#else
constexpr auto tag = vial::get<"/tag/<any(a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,bb,cc,dd,ee,ff,gg):tag>">(show_tag);
#endif
