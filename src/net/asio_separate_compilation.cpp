// The single translation unit that holds Boost.Asio's and Boost.Beast's compiled code
// (BOOST_ASIO_SEPARATE_COMPILATION): every other file includes the headers only.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
