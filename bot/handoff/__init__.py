"""Handing a citizen's question to a person: tickets, their routing, their storage.

``ticket`` holds the types (``Ticket``, its states, ``Route``) and the routing by department;
``store`` owns every statement against the ticket tables; ``desk`` is what the channels call
(offer, confirm, answer, decline, reroute, rate, remind, expire, purge). Nothing here talks to
LINE or Slack: ``channels/handoff`` does that.
"""
