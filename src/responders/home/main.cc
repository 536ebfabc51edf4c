// userdesk-home: the home page and the 404 page, as a FastCGI responder under spawn-fcgi.
#include "app/app.h"
#include "responders/home/home_handler.h"

int main() {
  return userdesk::app::RunResponder("home", userdesk::config::Requirements{},
                                     userdesk::responders::home::MakeHandler);
}
