"""Footnote markers on an entry's page (partnerships.footnotes.FactNotes):

{% fact notes "date" %}      after a fact's value: its markers, "citation needed", its dispute
{% link_fact notes partner.pk %}  after a party or participant: likewise for that link
{% link_fact notes person.pk "person" %}  after a link of another kind than the type's first
{% summary notes text %}     the summary's paragraphs with their "[n]" markers linked
"""

from django import template

register = template.Library()


@register.simple_tag
def fact(notes, key):
    return notes.fact(key)


@register.simple_tag
def link_fact(notes, number, prefix=None):
    return notes.fact(notes.link_key(number, prefix))


@register.simple_tag
def summary(notes, text):
    return notes.summary(text)
